<?xml version="1.0" encoding="UTF-8"?>
<!--
  Transcription and editorial interventions. Two views share one page: the reading view
  (regularised: reg, corr, expan, add; del hidden) and the diplomatic view (as written: orig, sic,
  abbr, del struck through). Elements that belong to one view only carry class "read" or "dipl";
  the stylesheet (assets/edition.css) hides the other view's, the switch (edition.js) flips
  data-view on <body>. Interventions stay visible: supplied text in brackets, corrections marked.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  exclude-result-prefixes="#all">

  <xsl:template match="tei:choice" mode="m:text">
    <span class="tei-choice"><xsl:apply-templates select="*" mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></span>
  </xsl:template>

  <!-- inside a choice: one view each -->
  <xsl:template match="tei:choice/tei:orig | tei:choice/tei:sic | tei:choice/tei:abbr" mode="m:text">
    <span class="tei-{local-name()} dipl" data-pagefind-ignore=""><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></span>
  </xsl:template>
  <xsl:template match="tei:choice/tei:reg | tei:choice/tei:corr | tei:choice/tei:expan" mode="m:text">
    <xsl:variable name="other" select="../(tei:orig, tei:sic, tei:abbr)[1]"/>
    <span class="tei-{local-name()} read intervention">
      <xsl:if test="exists($other)">
        <xsl:attribute name="title" select="concat(
          if (self::tei:corr) then 'corrected; the source has: ' else if (self::tei:expan) then 'expanded; the source has: ' else 'regularised; the source has: ',
          normalize-space(string-join($other//text(), '')))"/>
      </xsl:if>
      <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
    </span>
  </xsl:template>
  <xsl:template match="tei:choice/tei:seg | tei:choice/tei:unclear" mode="m:text">
    <span class="tei-{local-name()} {if (position() = 1) then 'dipl' else 'read'}"><xsl:if test="position() = 1"><xsl:attribute name="data-pagefind-ignore" select="''"/></xsl:if><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></span>
  </xsl:template>

  <!-- standalone: shown in both views, marked -->
  <xsl:template match="tei:sic" mode="m:text">
    <span class="tei-sic intervention" title="sic: so in the source"><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates><span class="read"> [sic]</span></span>
  </xsl:template>
  <xsl:template match="tei:corr | tei:reg | tei:expan | tei:orig | tei:abbr | tei:ex" mode="m:text">
    <span class="tei-{local-name()} intervention"><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></span>
  </xsl:template>

  <xsl:template match="tei:add" mode="m:text">
    <span class="tei-add intervention" title="added{if (@place) then concat(' (', @place, ')') else ''}"><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></span>
  </xsl:template>
  <xsl:template match="tei:del | tei:surplus" mode="m:text">
    <del class="tei-{local-name()} dipl" data-pagefind-ignore=""><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></del>
  </xsl:template>
  <xsl:template match="tei:subst | tei:mod | tei:restore | tei:handShift[node()] | tei:damage | tei:seg | tei:w | tei:pc | tei:c | tei:g | tei:num | tei:measure | tei:foreign | tei:term | tei:mentioned | tei:soCalled | tei:distinct | tei:gloss | tei:q | tei:said | tei:emph | tei:title | tei:roleName | tei:forename | tei:surname | tei:addName | tei:genName | tei:nameLink | tei:affiliation | tei:email | tei:idno " mode="m:text" priority="-1">
    <!-- @rend and @type become rend-*/type-* classes, styled in edition.css (rend="superscript" …) -->
    <span class="{string-join(('tei-' || local-name(), if (self::tei:emph or self::tei:foreign or self::tei:title[@level = ('m', 'j', 's')] or self::tei:mentioned or self::tei:term) then 'italic' else (), fp:rend-classes(.)), ' ')}">
      <xsl:if test="fp:lang(@xml:lang)"><xsl:attribute name="lang" select="fp:lang(@xml:lang)"/></xsl:if>
      <xsl:variable name="id" select="f:cite-id(.)"/>
      <xsl:if test="exists($id)"><xsl:attribute name="id" select="$id"/></xsl:if>
      <xsl:if test="self::tei:q or self::tei:said or self::tei:quote or self::tei:soCalled">“</xsl:if>
      <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
      <xsl:if test="self::tei:q or self::tei:said or self::tei:quote or self::tei:soCalled">”</xsl:if>
    </span>
  </xsl:template>
  <!-- empty by definition in TEI, but projects put text inside (the letters' postscripts are an
       anchor with content): an empty one is only its id, one with content keeps the content -->
  <xsl:template match="tei:handShift[not(node())] | tei:anchor | tei:milestone[not(@unit = ('section', 'chapter'))] | tei:caesura" mode="m:text">
    <xsl:choose>
      <xsl:when test="node()">
        <span class="tei-{local-name()}">
          <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
          <xsl:if test="fp:lang(@xml:lang)"><xsl:attribute name="lang" select="fp:lang(@xml:lang)"/></xsl:if>
          <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
        </span>
      </xsl:when>
      <xsl:when test="@xml:id"><span class="tei-{local-name()}" id="{@xml:id}"></span></xsl:when>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="tei:milestone" mode="m:text" priority="-0.5">
    <span class="tei-milestone" aria-hidden="true"> * </span>
    <xsl:if test="node() or @xml:id">
      <span class="tei-milestone-content">
        <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
        <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
      </span>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:supplied" mode="m:text">
    <span class="tei-supplied intervention" title="supplied{if (@reason) then concat(' (', @reason, ')') else ''}"><span class="bracket">[</span><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates><span class="bracket">]</span></span>
  </xsl:template>
  <xsl:template match="tei:unclear" mode="m:text">
    <span class="tei-unclear intervention" title="unclear{if (@reason) then concat(' (', @reason, ')') else ''}"><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></span>
  </xsl:template>
  <xsl:template match="tei:gap" mode="m:text">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:choose>
      <xsl:when test="@reason = 'not-transcribed'">
        <xsl:element name="{if ($inline) then 'span' else 'p'}">
          <xsl:attribute name="class" select="'tei-gap not-transcribed'"/>
          <xsl:text>The text of this document is not transcribed in this edition.</xsl:text>
        </xsl:element>
      </xsl:when>
      <xsl:otherwise>
        <span class="tei-gap intervention" title="gap{if (@reason) then concat(': ', @reason) else ''}{if (@quantity) then concat(', ', @quantity, ' ', @unit) else ''}">[…]</span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="tei:space" mode="m:text">
    <span class="tei-space"><xsl:text> </xsl:text></span>
  </xsl:template>

  <!-- line and page breaks: a line break in the diplomatic view, a space (or nothing inside a
       word) in the reading view -->
  <xsl:template match="tei:lb" mode="m:text">
    <xsl:if test="not(@break = 'no')"><span class="read"><xsl:text> </xsl:text></span></xsl:if>
    <br class="dipl"/>
  </xsl:template>
  <xsl:template match="tei:pb" mode="m:text">
    <span class="tei-pb" data-pagefind-ignore="">
      <xsl:variable name="id" select="f:cite-id(.)"/>
      <xsl:if test="exists($id)"><xsl:attribute name="id" select="$id"/></xsl:if>
      <xsl:value-of select="if (@n) then concat('[p. ', @n, ']') else '[page]'"/>
    </span>
  </xsl:template>
  <xsl:template match="tei:cb" mode="m:text">
    <span class="tei-cb" aria-hidden="true">|</span>
  </xsl:template>

  <xsl:template match="tei:hi" mode="m:text">
    <xsl:variable name="rend" select="lower-case(string-join((@rend, @rendition, @style), ' '))"/>
    <xsl:variable name="name" select="if (matches($rend, 'sup')) then 'sup' else if (matches($rend, '(^|\s)sub')) then 'sub' else 'span'"/>
    <xsl:element name="{$name}">
      <xsl:attribute name="class" select="normalize-space(string-join(('tei-hi', fp:rend-classes(.),
        if (matches($rend, 'italic|ital|(^|\s)it(\s|$)')) then 'italic' else (),
        if (matches($rend, 'bold|strong')) then 'bold' else (),
        if (matches($rend, 'underline')) then 'underline' else (),
        if (matches($rend, 'small-?caps|smcap')) then 'smallcaps' else (),
        if (matches($rend, 'latintype|antiqua')) then 'latintype' else (),
        if (matches($rend, 'spaced|gesperrt|letterspace')) then 'spaced' else ()), ' '))"/>
      <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <!-- Seals, stamps and signatures: set apart, labelled, with their hand. -->
  <xsl:template match="tei:stamp" mode="m:text">
    <span class="tei-stamp set-apart{if (@type) then concat(' type-', f:slug(@type)) else ''}">
      <span class="set-apart-label"><xsl:value-of select="if (@type = 'seal') then 'Seal' else 'Stamp'"/></span>
      <xsl:text> </xsl:text>
      <span class="set-apart-body"><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></span>
    </span>
  </xsl:template>
  <xsl:template match="tei:signed" mode="m:text" priority="1">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:element name="{if ($inline) then 'span' else 'p'}">
      <xsl:call-template name="fp:common-attributes">
        <xsl:with-param name="class" select="'tei-signed set-apart'"/>
      </xsl:call-template>
      <span class="set-apart-label">Signature<xsl:value-of select="fp:hand-suffix(@hand, .)"/></span>
      <xsl:text> </xsl:text>
      <span class="set-apart-body"><xsl:apply-templates mode="m:text">
        <xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></span>
    </xsl:element>
  </xsl:template>
  <xsl:template match="tei:closer/tei:roleName | tei:closer/tei:orgName" mode="m:text" priority="3">
    <span class="tei-{local-name()} closer-role"><xsl:next-match/></span>
  </xsl:template>

  <!-- " (hand: archive)" for a @hand pointing at a handNote -->
  <xsl:function name="fp:hand-suffix" as="xs:string">
    <xsl:param name="hand" as="attribute()?"/>
    <xsl:param name="from" as="element()"/>
    <xsl:variable name="label" select="f:hand-label($hand, $from)"/>
    <xsl:sequence select="if ($label) then concat(' (hand: ', $label, ')') else ''"/>
  </xsl:function>

  <xsl:function name="f:hand-label" as="xs:string?">
    <xsl:param name="hand" as="attribute()?"/>
    <xsl:param name="from" as="element()"/>
    <xsl:variable name="id" select="replace(normalize-space($hand), '^.*#', '')"/>
    <xsl:variable name="note" select="if ($id) then root($from)//tei:handNote[@xml:id = $id][1] else ()"/>
    <xsl:sequence select="if (not($id)) then ()
      else if ($note/(@scribe, tei:persName, @scribeRef)) then normalize-space(($note/tei:persName, $note/@scribe, $note/@scribeRef)[1])
      else replace($id, '^hand-', '')"/>
  </xsl:function>
</xsl:stylesheet>
