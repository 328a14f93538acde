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
      else (map{'top': 'at the top of the page', 'bottom': 'at the bottom of the page',
                'before-entry': 'before the previous entry', 'margin': 'in the margin',
                'left': 'in the left margin', 'right': 'in the right margin',
                'margin-left': 'in the left margin', 'margin-right': 'in the right margin',
                'above': 'above the line', 'below': 'below the line'}($p), $p)[1]"/>
  </xsl:function>

  <xsl:template match="tei:note[f:is-marginal(.)]" mode="m:text">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:variable name="kind" select="if (@type = 'handwritten' or @hand) then 'Handwritten note' else 'Marginal note'"/>
    <xsl:element name="{if ($inline) then 'span' else 'aside'}">
      <xsl:call-template name="fp:common-attributes">
        <xsl:with-param name="class" select="string-join(('tei-note', 'marginal', if ($inline) then 'as-block' else ()), ' ')"/>
      </xsl:call-template>
      <xsl:attribute name="role" select="'note'"/>
      <span class="marginal-label">
        <xsl:value-of select="string-join(($kind, fp:place-label(@place)), ', ')"/>
        <xsl:if test="@hand">
          <xsl:text> · hand: </xsl:text>
          <span class="hand" title="{normalize-space(f:hand-note(@hand, .))}">
            <xsl:value-of select="f:hand-label(@hand, .)"/>
          </span>
        </xsl:if>
      </span>
      <xsl:text> </xsl:text>
      <span class="marginal-body"><xsl:apply-templates mode="m:text">
        <xsl:with-param name="inline" tunnel="yes" select="true()"/>
        <xsl:with-param name="in-note" tunnel="yes" select="true()"/>
      </xsl:apply-templates></span>
    </xsl:element>
  </xsl:template>

  <xsl:function name="f:note-label" as="xs:string">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="if (normalize-space($note/@n)) then normalize-space($note/@n) else string(f:footnote-number($note))"/>
  </xsl:function>

  <!-- the marker in the text -->
  <xsl:template match="tei:note" mode="m:text">
    <xsl:param name="in-link" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:variable name="id" select="f:cite-id(.)"/>
    <xsl:choose>
      <xsl:when test="$in-link">
        <sup class="note-ref" id="{$id}-ref"><xsl:value-of select="f:note-label(.)"/></sup>
      </xsl:when>
      <xsl:otherwise>
        <sup class="note-ref"><a href="#{$id}" id="{$id}-ref" role="doc-noteref" aria-label="Note {f:note-label(.)}"><xsl:value-of select="f:note-label(.)"/></a></sup>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- the Notes section of a page -->
  <xsl:template name="f:note-list">
    <xsl:param name="notes" as="element()*"/>
    <xsl:if test="exists($notes)">
      <section class="notes" aria-labelledby="notes-heading">
        <h2 id="notes-heading">Notes</h2>
        <ol class="note-list">
          <xsl:for-each select="$notes">
            <li id="{f:cite-id(.)}" class="note{if (@type) then concat(' type-', f:slug(@type)) else ''}">
              <xsl:call-template name="fp:context-lang-attributes"/>
              <span class="note-label"><xsl:value-of select="f:note-label(.)"/>. </span>
              <xsl:if test="@type = 'editorial' or @resp">
                <span class="note-kind">Editorial note: </span>
              </xsl:if>
              <xsl:apply-templates mode="m:text">
                <xsl:with-param name="inline" tunnel="yes" select="false()"/>
                <xsl:with-param name="in-note" tunnel="yes" select="true()"/>
              </xsl:apply-templates>
              <xsl:text> </xsl:text>
              <a href="#{f:cite-id(.)}-ref" class="backlink" role="doc-backlink" aria-label="Back to the text">↩</a>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
