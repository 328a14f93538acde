<?xml version="1.0" encoding="UTF-8"?>
<!--
  Notes. Handwritten and marginal notes (f:is-marginal) are shown beside their anchor, labelled
  with their kind, place and hand. Other notes become a numbered marker in the text and an entry
  in the page's "Notes" section (mode m:note-list); both have stable ids (note-N).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  exclude-result-prefixes="#all">

  <xsl:function name="fp:place-label" as="xs:string?">
    <xsl:param name="place" as="xs:string?"/>
    <xsl:variable name="p" select="normalize-space($place)"/>
    <xsl:sequence select="if ($p = '') then ()
      else (map{'top': 'note.place.top', 'bottom': 'note.place.bottom',
                'before-entry': 'note.place.before-entry', 'margin': 'note.place.margin',
                'left': 'note.place.left', 'right': 'note.place.right',
                'margin-left': 'note.place.left', 'margin-right': 'note.place.right',
                'above': 'note.place.above', 'below': 'note.place.below'}($p) ! f:msg(.), $p)[1]"/>
  </xsl:function>

  <xsl:template match="tei:note[f:is-marginal(.)]" mode="m:text">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:variable name="kind" select="if (@type = 'handwritten' or @hand) then f:msg('note.handwritten') else f:msg('note.marginal')"/>
    <xsl:element name="{if ($inline) then 'span' else 'aside'}">
      <xsl:call-template name="fp:common-attributes">
        <xsl:with-param name="class" select="string-join(('tei-note', 'marginal', if ($inline) then 'as-block' else ()), ' ')"/>
      </xsl:call-template>
      <xsl:attribute name="role" select="'note'"/>
      <span class="marginal-label">
        <xsl:value-of select="string-join(($kind, fp:place-label(@place)), ', ')"/>
        <xsl:if test="@hand">
          <xsl:text>, </xsl:text>
          <xsl:call-template name="fp:hand-ref"><xsl:with-param name="pointer" select="@hand"/></xsl:call-template>
        </xsl:if>
      </span>
      <xsl:text> </xsl:text>
      <span class="marginal-body"><xsl:apply-templates mode="m:text">
        <xsl:with-param name="inline" tunnel="yes" select="true()"/>
        <xsl:with-param name="in-note" tunnel="yes" select="true()"/>
      </xsl:apply-templates></span>
    </xsl:element>
  </xsl:template>

  <!-- The context's <hand> (its siglum and place in the list of hands: toolkit/tei/notes.py,
       hand_sigla) of the handNote a pointer names in the document of $from; () when none. -->
  <xsl:function name="fp:hand" as="element(hand)?">
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:param name="from" as="element()"/>
    <xsl:variable name="note" select="f:hand-note($pointer, $from)"/>
    <xsl:sequence select="if (exists($note/@xml:id)) then f:document($from)/hand[@ref = string($note/@xml:id)][1] else ()"/>
  </xsl:function>

  <!-- "hand A": a link to the hand's entry in Document information (by keyboard and touch, no
       tooltip); a pointer that names no hand of the document by its label (f:hand-label) -->
  <xsl:template name="fp:hand-ref">
    <xsl:param name="pointer" as="attribute()"/>
    <xsl:param name="in-link" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:variable name="hand" select="fp:hand($pointer, $pointer/..)"/>
    <xsl:choose>
      <xsl:when test="exists($hand) and not($in-link)">
        <a class="hand-ref" href="#hand-note-{$hand/@n}"><xsl:value-of select="f:msg('hand.label')"/><xsl:text> </xsl:text><span class="hand-siglum"><xsl:value-of select="$hand/@siglum"/></span></a>
      </xsl:when>
      <xsl:when test="exists($hand)">
        <span class="hand-ref"><xsl:value-of select="f:msg('hand.label')"/><xsl:text> </xsl:text><span class="hand-siglum"><xsl:value-of select="$hand/@siglum"/></span></span>
      </xsl:when>
      <xsl:when test="f:hand-label($pointer, $pointer/..)">
        <span class="hand-ref"><xsl:value-of select="f:msg('hand.label')"/><xsl:text> </xsl:text><xsl:value-of select="f:hand-label($pointer, $pointer/..)"/></span>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- A note's label: its running number on the page (never its @n: two notes may share one, and
       labels must tell the notes apart). -->
  <xsl:function name="f:note-label" as="xs:string">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="string(f:footnote-number($note))"/>
  </xsl:function>

  <!-- The labels of the notes and apps shown after an element (lib/apparatus.xsl,
       f:attached-here), in order: the running numbers after the notes up to its end. -->
  <xsl:function name="fp:attached-labels" as="xs:string*">
    <xsl:param name="anchor" as="element()"/>
    <xsl:variable name="items" select="f:attached-here($anchor)"/>
    <xsl:variable name="upto" select="($anchor/accumulator-after('fp:counts')('#fn'), count($items))[1]"/>
    <xsl:sequence select="for $i in 1 to count($items) return string($upto - count($items) + $i)"/>
  </xsl:function>

  <!-- The id of the note-list entry of a note or app shown at an anchor: a note's own id
       (f:cite-id), else "app-" / "fn-" + its label ("-n" when a TEI xml:id has it already). -->
  <xsl:function name="fp:attached-id" as="xs:string">
    <xsl:param name="item" as="element()"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:variable name="gen" select="concat(if ($item/self::tei:app) then 'app-' else 'fn-', $label)"/>
    <xsl:sequence select="(f:cite-id($item), if ($gen = $fp:generated-like-ids) then $gen || '-n' else $gen)[1]"/>
  </xsl:function>

  <!-- An element with notes or apps attached (an anchor, a word …): the element, then their
       markers -->
  <xsl:template match="tei:*[@xml:id or self::tei:anchor[@n]][exists(f:attached-here(.))]" mode="m:text" priority="50">
    <xsl:param name="in-link" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:next-match/>
    <xsl:variable name="labels" select="fp:attached-labels(.)"/>
    <xsl:for-each select="f:attached-here(.)">
      <xsl:variable name="i" select="position()"/>
      <xsl:variable name="id" select="fp:attached-id(., $labels[$i])"/>
      <xsl:choose>
        <xsl:when test="$in-link"><sup class="note-ref" id="{$id}-ref"><xsl:value-of select="$labels[$i]"/></sup></xsl:when>
        <xsl:otherwise>
          <sup class="note-ref"><a href="#{$id}" id="{$id}-ref" role="doc-noteref" aria-label="{f:msg('note.ref', map{'n': $labels[$i]})}"><xsl:value-of select="$labels[$i]"/></a></sup>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

  <!-- the marker in the text -->
  <xsl:template match="tei:note" mode="m:text">
    <xsl:param name="in-link" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:variable name="id" select="f:cite-id(.)"/>
    <xsl:choose>
      <xsl:when test="$in-link">
        <sup class="note-ref" id="{$id}-ref"><xsl:value-of select="f:note-label(.)"/></sup>
      </xsl:when>
      <xsl:otherwise>
        <sup class="note-ref"><a href="#{$id}" id="{$id}-ref" role="doc-noteref" aria-label="{f:msg('note.ref', map{'n': f:note-label(.)})}"><xsl:value-of select="f:note-label(.)"/></a></sup>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- the Notes section of a page -->
  <xsl:template name="f:note-list">
    <xsl:param name="notes" as="element()*"/>
    <!-- the notes in the order of their markers: those where they stand, and at each anchor the
         notes and apps attached to it (lib/apparatus.xsl) -->
    <xsl:variable name="doc" select="if (exists($notes)) then root($notes[1]) else if (. instance of node()) then root(.) else ()"/>
    <xsl:variable name="points" select="f:attachment-points($doc)"/>
    <xsl:variable name="entries" as="element()*">
      <!-- by label: a note inside an element comes before the notes shown after it -->
      <xsl:for-each select="$notes[not(f:attached-elsewhere(.))] | $points">
        <xsl:sort select="if (. intersect $points) then xs:integer(fp:attached-labels(.)[1]) else f:footnote-number(.)"/>
        <xsl:choose>
          <xsl:when test=". intersect $points">
            <!-- a note that others are attached to: its own entry first -->
            <xsl:if test=". intersect $notes and not(f:attached-elsewhere(.))"><xsl:call-template name="fp:note-entry"/></xsl:if>
            <xsl:variable name="labels" select="fp:attached-labels(.)"/>
            <xsl:for-each select="f:attached-here(.)">
              <xsl:variable name="i" select="position()"/>
              <xsl:call-template name="fp:attached-entry">
                <xsl:with-param name="label" select="$labels[$i]"/>
              </xsl:call-template>
            </xsl:for-each>
          </xsl:when>
          <xsl:otherwise><xsl:call-template name="fp:note-entry"/></xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </xsl:variable>
    <xsl:if test="exists($entries)">
      <section class="notes" aria-labelledby="notes-heading">
        <h2 id="notes-heading"><xsl:value-of select="f:msg('notes.heading')"/></h2>
        <ol class="note-list">
          <xsl:sequence select="$entries"/>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- the entry of a note or app shown at an anchor: an app as "lemma] readings" -->
  <xsl:template name="fp:attached-entry">
    <xsl:param name="label" as="xs:string"/>
    <xsl:variable name="id" select="fp:attached-id(., $label)"/>
    <li id="{$id}" class="note attached{if (self::tei:app) then ' app-note' else ''}">
      <xsl:call-template name="fp:context-lang-attributes"/>
      <span class="note-label"><xsl:value-of select="$label"/>. </span>
      <xsl:choose>
        <xsl:when test="self::tei:app">
          <xsl:variable name="lem" select="f:app-lemma(.)"/>
          <span class="lem">
            <xsl:choose>
              <xsl:when test="exists($lem)">
                <xsl:apply-templates select="$lem/node() except $lem//tei:witDetail" mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/><xsl:with-param name="in-note" tunnel="yes" select="true()"/></xsl:apply-templates>
              </xsl:when>
              <xsl:otherwise><xsl:value-of select="f:spanned-text(.)"/></xsl:otherwise>
            </xsl:choose>
          </span>
          <xsl:text>] </xsl:text>
          <span class="app-readings"><xsl:call-template name="fp:app-readings"/></span>
          <xsl:apply-templates select="* except (tei:lem, tei:rdg, tei:rdgGrp, tei:witDetail, tei:wit)" mode="m:text">
            <xsl:with-param name="inline" tunnel="yes" select="true()"/>
            <xsl:with-param name="in-note" tunnel="yes" select="true()"/>
          </xsl:apply-templates>
        </xsl:when>
        <xsl:otherwise>
          <xsl:apply-templates mode="m:text">
            <xsl:with-param name="inline" tunnel="yes" select="false()"/>
            <xsl:with-param name="in-note" tunnel="yes" select="true()"/>
          </xsl:apply-templates>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:text> </xsl:text>
      <a href="#{$id}-ref" class="backlink" role="doc-backlink" aria-label="{f:msg('note.back')}">↩</a>
    </li>
  </xsl:template>

  <!-- the entry of a note where it stands -->
  <xsl:template name="fp:note-entry">
    <li id="{f:cite-id(.)}" class="note{if (@type) then concat(' type-', f:slug(@type)) else ''}">
      <xsl:call-template name="fp:context-lang-attributes"/>
      <span class="note-label"><xsl:value-of select="f:note-label(.)"/>. </span>
      <xsl:if test="@type = 'editorial' or @resp">
        <span class="note-kind"><xsl:value-of select="f:msg('note.editorial')"/><xsl:text> </xsl:text></span>
      </xsl:if>
      <xsl:apply-templates mode="m:text">
        <xsl:with-param name="inline" tunnel="yes" select="false()"/>
        <xsl:with-param name="in-note" tunnel="yes" select="true()"/>
      </xsl:apply-templates>
      <xsl:text> </xsl:text>
      <a href="#{f:cite-id(.)}-ref" class="backlink" role="doc-backlink" aria-label="{f:msg('note.back')}">↩</a>
    </li>
  </xsl:template>
</xsl:stylesheet>
